# Get-RunFile: the files of each run (files/ locally, run.files over the API), as a user sees them in real pwsh.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')

    # fin0001a gets nested media and code, an empty console log and a link out of its folder, as wandb.save leaves them.
    $script:files = Join-Path (Get-Item (Join-Path $wandb 'run-*-fin0001a')).FullName 'files'
    $null = New-Item -ItemType Directory -Path (Join-Path $files 'media/images'), (Join-Path $files 'code') -Force
    [System.IO.File]::WriteAllBytes((Join-Path $files 'media/images/sample_0.png'), [byte[]](0..255) * 300)
    Set-Content -LiteralPath (Join-Path $files 'code/train.py') -Value "import torch`nprint('CUDA out of memory')" -NoNewline
    Set-Content -LiteralPath (Join-Path $files 'output.log') -Value '' -NoNewline
    $script:outside = Join-Path $TestDrive 'secret.txt'
    Set-Content -LiteralPath $outside -Value 'not the run''s'
    $null = New-Item -ItemType SymbolicLink -Path (Join-Path $files 'linked-out.txt') -Target $outside

    $script:server = Start-FakeWandb -WandbFolder $wandb -LogPath (Join-Path $TestDrive 'fakewandb.log')
    $script:api = @{ Project = 'acme-ml/mnist-sweep'; BaseUrl = $server.Url; ApiKey = $server.Key }
}

AfterAll {
    if ($server) { Stop-FakeWandb -Server $server }
}

Describe 'Get-RunFile' {
    Context 'local run folders' {
        BeforeAll {
            $script:local = @(Get-RunFile -Path $wandb -Id fin0001a -WarningVariable script:warned 3>$null)
        }

        It 'lists every regular file under files/, recursively, with /-separated names in name order' {
            $local.Name -join ',' | Should -BeExactly 'code/train.py,config.yaml,media/images/sample_0.png,output.log,wandb-metadata.json,wandb-summary.json'
            $local | ForEach-Object { $_ | Should -BeOfType 'WandbRunOps.Model.WandbRunFile' }
        }

        It 'gives sizes as longs and the MD5 in W&B''s base64 form, the one Get-FileHash gives in hex' {
            $image = $local | Where-Object Name -eq 'media/images/sample_0.png'
            $image.Size | Should -BeOfType 'System.Int64'
            $image.Size | Should -Be 76800
            $hex = (Get-FileHash -LiteralPath $image.FullName -Algorithm MD5).Hash
            [System.BitConverter]::ToString([System.Convert]::FromBase64String($image.Md5)).Replace('-', '') | Should -BeExactly $hex
        }

        It 'carries the run''s identity, its file''s path, and no Url or write time' {
            $f = $local[0]
            $f.RunId, $f.RunProject, $f.RunEntity | Should -Be 'fin0001a', 'mnist-sweep', 'acme-ml'
            $f.RunPath | Should -Not -BeNullOrEmpty
            $f.FullName | Should -BeExactly (Join-Path $files 'code/train.py')
            $f.Url | Should -BeNullOrEmpty
            $f.UpdatedAt | Should -BeNullOrEmpty
        }

        It 'skips a link that leads out of the run folder, with a warning that names it' {
            $local.Name | Should -Not -Contain 'linked-out.txt'
            "$warned" | Should -Match 'linked-out\.txt.*outside the run folder'
        }

        It 'takes wildcards in -Name, case-insensitively, and pipes from Get-WandbRun' {
            (Get-WandbRun -Path $wandb -Id fin0001a | Get-RunFile -Name 'MEDIA/*', '*.py' 3>$null).Name -join ',' | Should -BeExactly 'code/train.py,media/images/sample_0.png'
        }

        It 'gives a literal -Name a run lacks as that run''s WandbPathNotFound, and the rest go on' {
            $out = Get-RunFile -Path $wandb -Id fin0001a, fin0002b -Name config.yaml, nope.txt -ErrorVariable err -ErrorAction SilentlyContinue 3>$null
            $out.RunId -join ',' | Should -BeExactly 'fin0001a,fin0002b'
            $err | Should -HaveCount 2
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbPathNotFound,*'
            $err[0].TargetObject | Should -BeExactly 'fin0001a/nope.txt'
        }

        It 'refuses a malformed wildcard with WandbInvalidArgument' {
            { Get-RunFile -Path $wandb -Id fin0001a -Name '[]' -ErrorAction Stop } | Should -Throw -ErrorId 'WandbInvalidArgument,WandbRunOps.Commands.GetRunFileCommand'
        }
    }

    Context 'as a user sees it' {
        BeforeAll {
            $script:rows = @(Get-RunFile -Path $wandb 3>$null)
        }

        It 'leads the table with RunId, Name, Size, UpdatedAt at <Width> columns' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
            $text = Out-UserText -InputObject $rows -Width $Width
            ($text -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1) | Should -Match '^RunId\s+Name\s+Size\s+UpdatedAt\s*$'
            $text | Should -Match 'fin0001a\s+media/images/sample_0\.png\s+76800'
            Assert-NoTypeName $text
        }

        It 'shows every property in a list, with the MD5' {
            $text = Out-UserText -InputObject ($rows | Where-Object Name -eq 'code/train.py') -As List
            $text | Should -Match 'Md5\s+: [A-Za-z0-9+/]{22}=='
            $text | Should -Match 'FullName\s+: .*code[/\\]train\.py'
            Assert-NoTypeName $text
        }

        It 'exports to CSV with one column per property and converts to JSON' {
            $csv = Join-Path $TestDrive 'files.csv'
            $rows | Export-Csv -LiteralPath $csv -NoTypeInformation
            $back = @(Import-Csv -LiteralPath $csv)
            $back.Count | Should -Be $rows.Count
            ($back[0].PSObject.Properties.Name -join ',') | Should -BeExactly 'RunId,RunName,RunProject,RunEntity,RunPath,Name,Size,UpdatedAt,Md5,Url,FullName'
            ($rows[0] | ConvertTo-Json | ConvertFrom-Json).Md5 | Should -BeExactly $rows[0].Md5
        }

        It 'pipes CSV rows back into Get-RunFile by RunId and RunPath' {
            $csv = Join-Path $TestDrive 'files.csv'
            (Import-Csv -LiteralPath $csv | Where-Object Name -eq 'code/train.py' | Get-RunFile -Name code/train.py).Size | Should -Be 40
        }
    }

    Context 'over the W&B API (the loopback server serving the same folders)' {
        It 'agrees with the local folders on names, sizes and MD5 for every run' {
            $remote = Get-WandbRun @api | Get-RunFile | ForEach-Object { '{0} {1} {2} {3}' -f $_.RunId, $_.Name, $_.Size, $_.Md5 } | Sort-Object
            $local = Get-WandbRun -Path $wandb | Get-RunFile 3>$null | ForEach-Object { '{0} {1} {2} {3}' -f $_.RunId, $_.Name, $_.Size, $_.Md5 } | Sort-Object
            $remote | Should -Not -BeNullOrEmpty
            ($remote -join "`n") | Should -BeExactly ($local -join "`n")
        }

        It 'gives the file''s Url and the server''s UpdatedAt (UTC), and no FullName' {
            $f = Get-RunFile @api -Id fin0001a -Name code/train.py
            $f.Url | Should -BeExactly "$($server.Url)/files/acme-ml/mnist-sweep/fin0001a/code/train.py"
            $f.UpdatedAt.Kind | Should -Be 'Utc'
            $f.FullName | Should -BeNullOrEmpty
            $f.PSObject.Properties.Name | Should -Not -Contain 'DirectUrl'
        }

        It 'completes -Name from the run''s files' {
            $line = "Get-RunFile -Project acme-ml/mnist-sweep -BaseUrl $($server.Url) -Id fin0001a -Name med"
            $env:WANDB_API_KEY = $server.ApiKey
            try {
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'media/images/sample_0.png'
            }
            finally {
                Remove-Item Env:WANDB_API_KEY
            }
        }
    }

    Context 'the real SDK run folders' {
        It 'lists <Set>''s files as the independent oracle found them' -TestCases @(
            @{ Set = 'sdk-0.8.30-legacy' }, @{ Set = 'sdk-0.10.20-offline' }, @{ Set = 'sdk-0.12.15-online' }, @{ Set = 'sdk-0.21.0-offline' }, @{ Set = 'sdk-0.22.1-online' }
        ) {
            if (Skip-WithoutRealFixtures) { return }
            $expected = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'WandbRunOps.Tests/Fixtures/real-run-files.json') | ConvertFrom-Json |
                Where-Object set -eq $Set | ForEach-Object { $id = $_.id; $_.files | ForEach-Object { '{0} {1} {2} {3}' -f $id, $_.name, $_.size, $_.md5 } }
            $actual = Get-RunFile -Path (Get-RealFixture $Set) 3>$null | ForEach-Object { '{0} {1} {2} {3}' -f $_.RunId, $_.Name, $_.Size, $_.Md5 }
            (@($actual | Sort-Object) -join "`n") | Should -BeExactly (@($expected | Sort-Object) -join "`n")
        }
    }
}
